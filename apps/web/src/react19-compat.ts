import { unstableSetRender } from 'antd';
import { createRoot, type Root } from 'react-dom/client';

type Container = (Element | DocumentFragment) & { _fiscusRoot?: Root };

/**
 * antd 5 renders wave effects and static popups with the React 18 API; on React 19 it needs
 * this render hook (https://u.ant.design/v5-for-19).
 */
unstableSetRender((node, container: Container) => {
  container._fiscusRoot ??= createRoot(container);
  const root = container._fiscusRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
  };
});
